export { SignInPage } from './components/sign-in-page';
export { useMe, meQueryKey } from './api/get-me';
export { useSignOut } from './hooks/use-sign-out';
