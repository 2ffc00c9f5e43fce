import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import type { PresenceTransition } from './presence-store';

/**
 * Presence transitions, each published once, by the instance that decided it; `chat/` turns them
 * into `presence` broadcasts (which the Socket.IO adapter carries to every instance).
 */
@Injectable()
export class PresenceEvents implements OnModuleDestroy {
  private readonly subject = new Subject<PresenceTransition>();
  readonly transitions$: Observable<PresenceTransition> = this.subject.asObservable();

  publish(transition: PresenceTransition): void {
    this.subject.next(transition);
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}
