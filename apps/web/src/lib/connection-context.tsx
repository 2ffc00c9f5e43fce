import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ChatConnection, ConnectionSnapshot } from './chat-connection';

const ConnectionContext = createContext<ChatConnection | null>(null);

export function ConnectionProvider({
  connection,
  children,
}: {
  connection: ChatConnection;
  children: ReactNode;
}) {
  return <ConnectionContext value={connection}>{children}</ConnectionContext>;
}

export function useChatConnection(): ChatConnection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('useChatConnection must be used inside <ConnectionProvider>');
  return connection;
}

export function useConnectionSnapshot(): ConnectionSnapshot {
  const connection = useChatConnection();
  return useSyncExternalStore(connection.subscribe, connection.getSnapshot);
}
