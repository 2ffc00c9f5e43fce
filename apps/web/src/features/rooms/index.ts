export { RoomHeader } from './components/room-header';
export { RoomSidebar } from './components/room-sidebar';
export { useRoom, roomQueryKey } from './api/get-room';
export { roomsQueryKey } from './api/get-rooms';
export { useRoomJoin, type RoomJoinState } from './hooks/use-room-join';
export { parseRoomInput } from './lib/parse-room-input';
export { useLeaveRoom } from './hooks/use-leave-room';
