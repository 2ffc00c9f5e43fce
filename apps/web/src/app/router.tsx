import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { AppRoot } from './routes/app-root';
import { HomeRoute } from './routes/home';
import { InviteRoute } from './routes/invite';
import { NotFoundRoute } from './routes/not-found';
import { RoomRoute } from './routes/room';
import { RouteError } from './routes/route-error';

const router = createBrowserRouter([
  {
    path: '/',
    element: <AppRoot />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: 'rooms/:roomId', element: <RoomRoute /> },
      { path: 'invite/:code', element: <InviteRoute /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
