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

/** Domain events of the messages module; transports subscribe, the service never knows who listens. */
@Injectable()
export class MessageEvents implements OnModuleDestroy {
  private readonly created = new Subject<MessageCreatedEvent>();
  readonly created$: Observable<MessageCreatedEvent> = this.created.asObservable();

  publishCreated(event: MessageCreatedEvent): void {
    this.created.next(event);
  }

  onModuleDestroy(): void {
    this.created.complete();
  }
}
