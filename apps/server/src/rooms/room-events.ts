import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { RoomDto, RoomMemberDto, RoomRemovalReason, RoomViewDto } from '@parley/contracts';
import { type Observable, Subject } from 'rxjs';

/** Domain events of the rooms module; `chat/` turns them into socket effects and broadcasts. */
export type RoomEvent =
  /** These users lost the room: their sockets must leave it at once. */
  | { type: 'removed'; room: string; userIds: string[]; reason: RoomRemovalReason }
  /** The room itself is gone: every socket in it leaves. */
  | { type: 'deleted'; room: string; userIds: string[] }
  | { type: 'added'; userId: string; room: RoomViewDto }
  | { type: 'updated'; room: RoomDto }
  /** `member` absent: the user is no longer a member. */
  | { type: 'member'; room: string; userId: string; member?: RoomMemberDto };

@Injectable()
export class RoomEvents implements OnModuleDestroy {
  private readonly subject = new Subject<RoomEvent>();
  readonly events$: Observable<RoomEvent> = this.subject.asObservable();

  /** Synchronous: subscribers have acted (sockets left) before the caller answers its request. */
  publish(event: RoomEvent): void {
    this.subject.next(event);
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}
