import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type {
  NotifyLevel,
  RoomDto,
  RoomMemberDto,
  RoomRemovalReason,
  RoomUserDto,
  RoomViewDto,
  SystemMessageKind,
} from '@parley/contracts';
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
  | { type: 'member'; room: string; userId: string; member?: RoomMemberDto }
  /**
   * A membership change the room is told about (`system_message`): "Ann joined" after a public
   * join or an accepted invite (not a new DM or room), "Ann left" after leaving.
   */
  | { type: 'notice'; room: string; user: RoomUserDto; kind: SystemMessageKind }
  /**
   * A user's read cursor moved: every tab of theirs is told (`read_state`), and with `receipt`
   * the room too (`read_receipt`: direct or small room, and the user shares read state).
   */
  | { type: 'read'; room: string; userId: string; readSeq: number; receipt: boolean }
  /** A user changed their notification level of a room: every tab of theirs is told. */
  | { type: 'notifications'; room: string; userId: string; level: NotifyLevel };

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
