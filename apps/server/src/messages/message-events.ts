import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { MessageDto } from '@parley/contracts';
import { type Observable, Subject } from 'rxjs';

export interface MessageCreatedEvent {
  message: MessageDto;
  /**
   * Opaque id of the connection that sent the message, so a transport can skip echoing it back
   * (the sender already has the message in its acknowledgement).
   */
  origin?: string;
}

/**
 * A stored message changed (edit, reaction, pin, reply preview) or was deleted: the room gets the
 * whole message, the acting connection included (its ack and the broadcast carry the same
 * version, and clients keep the higher one).
 */
export interface MessageChangedEvent {
  kind: 'updated' | 'deleted';
  message: MessageDto;
}

/** Domain events of the messages module; transports subscribe, the service never knows who listens. */
@Injectable()
export class MessageEvents implements OnModuleDestroy {
  private readonly created = new Subject<MessageCreatedEvent>();
  readonly created$: Observable<MessageCreatedEvent> = this.created.asObservable();
  private readonly changed = new Subject<MessageChangedEvent>();
  readonly changed$: Observable<MessageChangedEvent> = this.changed.asObservable();

  publishCreated(event: MessageCreatedEvent): void {
    this.created.next(event);
  }

  publishChanged(event: MessageChangedEvent): void {
    this.changed.next(event);
  }

  onModuleDestroy(): void {
    this.created.complete();
    this.changed.complete();
  }
}
