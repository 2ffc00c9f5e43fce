import { useCallback } from 'react';
import { PersistentStore, usePersistentStore } from '@/lib/persistent-store';

/** What the sidebar needs to list a joined room without asking the server. */
export interface RememberedRoom {
  id: string;
  name: string;
}

function parseRooms(raw: unknown): RememberedRoom[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (room): room is RememberedRoom =>
      typeof room === 'object' &&
      room !== null &&
      typeof (room as RememberedRoom).id === 'string' &&
      typeof (room as RememberedRoom).name === 'string',
  );
}

const stores = new Map<string, PersistentStore<RememberedRoom[]>>();

/** Kept per user, so two people sharing a browser do not see each other's rooms. */
function storeFor(userId: string): PersistentStore<RememberedRoom[]> {
  let store = stores.get(userId);
  if (!store) {
    store = new PersistentStore(`parley:my-rooms:${userId}`, parseRooms);
    stores.set(userId, store);
  }
  return store;
}

/** Adds the room (or renames it) without reordering: the list is in the order rooms were joined. */
export function rememberRoom(userId: string, room: RememberedRoom): void {
  storeFor(userId).set((rooms) => {
    const existing = rooms.find((r) => r.id === room.id);
    if (existing?.name === room.name) return rooms;
    if (existing)
      return rooms.map((r) => (r.id === room.id ? { id: room.id, name: room.name } : r));
    return [...rooms, { id: room.id, name: room.name }];
  });
}

export function forgetRoom(userId: string, roomId: string): void {
  storeFor(userId).set((rooms) =>
    rooms.some((r) => r.id === roomId) ? rooms.filter((r) => r.id !== roomId) : rooms,
  );
}

export function useMyRooms(userId: string) {
  const rooms = usePersistentStore(storeFor(userId));
  const forget = useCallback((roomId: string) => forgetRoom(userId, roomId), [userId]);
  return { rooms, forget };
}
