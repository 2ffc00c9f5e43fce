import type { ParleySocket } from '@/lib/socket';

type Handler = (...args: never[]) => void;

export interface EmittedEvent {
  event: string;
  payload: unknown;
  timeoutMs: number;
  ack: (error: Error | null, response: unknown) => void;
}

/**
 * Stands in for the Socket.IO client a unit talks to: records what it emits and lets the test
 * play the server (connect, push events, answer acks). Only the members our code uses exist.
 */
export class FakeSocket {
  connected = false;
  active = true;
  connectCalls = 0;
  readonly emitted: EmittedEvent[] = [];
  private readonly handlers = new Map<string, Set<Handler>>();

  on(event: string, handler: Handler): this {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(handler);
    return this;
  }

  off(event: string, handler: Handler): this {
    this.handlers.get(event)?.delete(handler);
    return this;
  }

  once(event: string, handler: Handler): this {
    const wrapper = ((...args: never[]) => {
      this.off(event, wrapper);
      handler(...args);
    }) as Handler;
    return this.on(event, wrapper);
  }

  connect(): this {
    this.connectCalls += 1;
    return this;
  }

  disconnect(): this {
    this.connected = false;
    return this;
  }

  timeout(timeoutMs: number) {
    return {
      emit: (event: string, payload: unknown, ack: EmittedEvent['ack']) => {
        this.emitted.push({ event, payload, timeoutMs, ack });
      },
    };
  }

  listenerCount(event: string): number {
    return this.handlers.get(event)?.size ?? 0;
  }

  // ---- the test plays the server ----

  serverConnect(): void {
    this.connected = true;
    this.fire('connect');
  }

  serverDisconnect(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }

  fire(event: string, ...args: unknown[]): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      (handler as (...values: unknown[]) => void)(...args);
    }
  }

  emittedOf(event: string): EmittedEvent[] {
    return this.emitted.filter((entry) => entry.event === event);
  }

  asSocket(): ParleySocket {
    return this as unknown as ParleySocket;
  }
}

/** Lets pending promise callbacks run. */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
