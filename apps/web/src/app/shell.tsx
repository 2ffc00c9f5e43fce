import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useLocation, useNavigate } from 'react-router';
import type { AuthSessionDto, ErrorCode, RoomRemovalReason, RoomViewDto } from '@parley/contracts';
import { AccountSettings, ClaimNameForm, useMe, useSignOut } from '@/features/auth';
import { ConnectionBanner } from '@/features/connection';
import { DesktopNotifications } from '@/features/notifications';
import { PresenceSync } from '@/features/presence';
import {
  LocalMessagesProvider,
  MessageDeliveryProvider,
  TypingProvider,
  createBrowserMessageDelivery,
  useChatEvents,
  type MessageDelivery,
} from '@/features/messages';
import { RoomSidebar, dropRoom, recordMessage, useRoomEvents, useRooms } from '@/features/rooms';
import { MessageSearch } from '@/features/search';
import { useUnreadTitle } from '@/features/unread';
import { ChatConnection } from '@/lib/chat-connection';
import { ConnectionProvider, useConnectionSnapshot } from '@/lib/connection-context';
import { refreshSession } from '@/lib/http';
import { sessionStore } from '@/lib/session-store';
import { createSocket } from '@/lib/socket';

/** Keep in step with the breakpoint in styles.css. */
const WIDE_LAYOUT_QUERY = '(min-width: 768px)';

/** What a `sync` refusal means for the notice on the home page. */
const REFUSAL_REASONS: Partial<Record<ErrorCode, RoomRemovalReason>> = {
  banned: 'banned',
  room_not_found: 'deleted',
  not_a_member: 'kicked',
};

function ChatEvents({
  userId,
  delivery,
  connection,
}: {
  userId: string;
  delivery: MessageDelivery;
  connection: ChatConnection;
}) {
  useChatEvents();
  const queryClient = useQueryClient();
  const location = useLocation();
  const navigate = useNavigate();
  // The room is gone for me: leave its page if it is the one on screen.
  const leavePage = (room: string, reason: RoomRemovalReason | undefined) => {
    if (location.pathname === `/rooms/${room}`) {
      void navigate('/', { replace: true, state: reason ? { removedReason: reason } : null });
    }
  };
  useRoomEvents(userId, (room, reason) => {
    delivery.forget(room);
    leavePage(room, reason);
  });
  const onRefused = useRef<(room: string, code: ErrorCode) => void>(() => undefined);
  useEffect(() => {
    onRefused.current = (room, code) => {
      // Like room_removed: `sync` found out first (the removal happened while offline).
      dropRoom(queryClient, connection, userId, room);
      leavePage(room, REFUSAL_REASONS[code]);
    };
  });
  useEffect(() => delivery.onRefused((room, code) => onRefused.current(room, code)), [delivery]);
  // Every message of every room of mine moves that room's last seq and preview (unread counts).
  useEffect(
    () => delivery.onMessage((message) => recordMessage(queryClient, message, userId)),
    [delivery, queryClient, userId],
  );
  return null;
}

/** "(3) Parley" in the tab title, from the room list every tab keeps current. */
function UnreadTitle() {
  useUnreadTitle(useRooms().data);
  return null;
}

function Banner() {
  const { status } = useConnectionSnapshot();
  return <ConnectionBanner status={status} />;
}

function useChatConnectionLifecycle(
  userId: string,
  onUnauthorized: () => void,
): { connection: ChatConnection; delivery: MessageDelivery } {
  const queryClient = useQueryClient();

  // Creating the socket does not connect it; `start` in the effect below does. One socket per
  // user: a renewed access token is handed to the same socket, which keeps its rooms. After an
  // offline start there is no token yet: the refused handshake renews it, like an expired one.
  const session = useMemo(() => {
    const hooks = {
      onUnauthorized,
      refreshToken: () => refreshSession().then((renewed) => renewed?.accessToken ?? null),
      onJoined: (room: RoomViewDto) => delivery.joined(room.id),
      onResynced: () => {
        // Messages catch up with one `sync`; everything else refetches.
        delivery.resynced();
        void queryClient.invalidateQueries({
          predicate: (query) => query.queryKey[2] !== 'messages',
        });
      },
    };
    const connection = new ChatConnection(
      createSocket(sessionStore.get()?.accessToken ?? ''),
      hooks,
    );
    const delivery = createBrowserMessageDelivery(userId, { connection, queryClient });
    return { connection, delivery };
  }, [queryClient, onUnauthorized, userId]);

  useEffect(() => {
    session.delivery.start();
    session.connection.start();
    return () => {
      session.connection.stop();
      session.delivery.stop();
    };
  }, [session]);

  return session;
}

export function Shell({ session }: { session: AuthSessionDto }) {
  const signOut = useSignOut();
  const { connection, delivery } = useChatConnectionLifecycle(session.user.id, signOut);
  // Validates a remembered token; a 401 signs out through the query client.
  useMe();

  const [menuOpen, setMenuOpen] = useState(false);
  const sidebarId = useId();
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const closeButtonRef = useRef<HTMLButtonElement>(null);

  // Focus moves into the opened menu and, when it is dismissed (not left through a link), back
  // to the button that opened it. Done after render: while open, <main> is inert and unfocusable.
  const wasOpen = useRef(false);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (menuOpen) closeButtonRef.current?.focus();
    else if (wasOpen.current && returnFocus.current) menuButtonRef.current?.focus();
    wasOpen.current = menuOpen;
  }, [menuOpen]);

  const dismissMenu = () => {
    returnFocus.current = true;
    setMenuOpen(false);
  };

  useEffect(() => {
    if (!menuOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        returnFocus.current = true;
        setMenuOpen(false);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [menuOpen]);

  // The menu only exists on narrow screens; widening the window must not leave the page inert.
  useEffect(() => {
    if (!menuOpen) return;
    const wide = window.matchMedia(WIDE_LAYOUT_QUERY);
    const onChange = () => {
      if (wide.matches) setMenuOpen(false);
    };
    wide.addEventListener('change', onChange);
    return () => wide.removeEventListener('change', onChange);
  }, [menuOpen]);

  const closeMenu = () => {
    returnFocus.current = false;
    setMenuOpen(false);
  };

  return (
    <ConnectionProvider connection={connection}>
      <MessageDeliveryProvider delivery={delivery}>
        <LocalMessagesProvider>
          <TypingProvider>
            <ChatEvents userId={session.user.id} delivery={delivery} connection={connection} />
            <UnreadTitle />
            <div className={`shell${menuOpen ? ' shell--menu-open' : ''}`}>
              <aside id={sidebarId} className="shell__sidebar" aria-label="Sidebar">
                <div className="sidebar-header">
                  <h1 className="brand">Parley</h1>
                  <button
                    ref={closeButtonRef}
                    type="button"
                    className="button button--ghost button--icon shell__close"
                    aria-label="Close menu"
                    onClick={dismissMenu}
                  >
                    ✕
                  </button>
                </div>
                <div className="sidebar-user">
                  <p className="sidebar-user__name">
                    <span className="visually-hidden">Signed in as </span>
                    <strong>{session.user.displayName}</strong>{' '}
                    <span className="sidebar-user__handle">@{session.user.username}</span>
                  </p>
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    onClick={signOut}
                  >
                    Sign out
                  </button>
                </div>
                {!session.user.registered && <ClaimNameForm />}
                <AccountSettings />
                {/* Session-wide listeners (render nothing, or a prompt portalled to the body). */}
                <PresenceSync />
                <DesktopNotifications userId={session.user.id} />
                <RoomSidebar userId={session.user.id} onNavigate={closeMenu} />
              </aside>
              <div className="shell__backdrop" aria-hidden="true" onClick={dismissMenu} />
              <main className="shell__main" inert={menuOpen}>
                <div className="topbar">
                  <button
                    ref={menuButtonRef}
                    type="button"
                    className="button button--ghost topbar__menu"
                    aria-expanded={menuOpen}
                    aria-controls={sidebarId}
                    onClick={() => {
                      returnFocus.current = false;
                      setMenuOpen(true);
                    }}
                  >
                    <span aria-hidden="true">☰</span> Rooms menu
                  </button>
                  <span className="brand topbar__brand">Parley</span>
                </div>
                <Banner />
                <MessageSearch />
                <Outlet />
              </main>
            </div>
          </TypingProvider>
        </LocalMessagesProvider>
      </MessageDeliveryProvider>
    </ConnectionProvider>
  );
}
