import type { MessageDto, RoomViewDto, SendMessageDto } from '@parley/contracts';
import { isApiRequestError } from './api-error';
import { emitWithAck, type ParleySocket } from './socket';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface ConnectionSnapshot {
  status: ConnectionStatus;
  /** Increments on every successful (re)connection; effects key on it to re-sync. */
  generation: number;
}

export interface ConnectionState {
  connected: boolean;
  everConnected: boolean;
  browserOnline: boolean;
}

/** The banner's state as a pure function of what the socket and the browser report. */
export function deriveConnectionStatus(state: ConnectionState): ConnectionStatus {
  if (state.connected) return 'connected';
  if (!state.browserOnline) return 'offline';
  return state.everConnected ? 'reconnecting' : 'connecting';
}

export interface ChatConnectionHooks {
  /** The session is over: the handshake was refused and no new access token could be had. */
  onUnauthorized: () => void;
  /**
   * The handshake refused the access token (normally: it expired while the socket was up or
   * offline). Resolves a fresh one from the refresh cookie, or `null` when the session has ended.
   * Without it a refused handshake signs out at once.
   */
  refreshToken?: () => Promise<string | null>;
  /**
   * A `join_room` succeeded. A room's history may have been fetched before this connection
   * followed the room (a public room becomes mine by the join), so the room must catch up now.
   */
  onJoined: (room: RoomViewDto) => void;
  /**
   * Reconnected: the server subscribed the new socket to every room of the user at the
   * handshake (ADR 0010), so whatever was missed meanwhile can be fetched at once.
   */
  onResynced: () => void;
}

type Listener = () => void;

/** The browser's view of the network, injectable so tests need no real `window` events. */
export interface NetworkEnvironment {
  isOnline(): boolean;
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

const browserNetwork: NetworkEnvironment = {
  isOnline: () => navigator.onLine,
  addEventListener: (type, listener) => window.addEventListener(type, listener),
  removeEventListener: (type, listener) => window.removeEventListener(type, listener),
};

/** After a refused handshake Socket.IO stops retrying by itself; this is how long we wait. */
const RETRY_AFTER_CONNECT_ERROR_MS = 2_000;

/**
 * Owns one socket for the signed-in session: connection status for the banner, `join_room` for
 * opening a room (becoming a member of a public one, getting the room view), and sends.
 *
 * The server puts every socket in the channels of all of its user's rooms at the handshake
 * (ADR 0010), so nothing is re-joined after a reconnection: `onResynced` fires as soon as the
 * socket is back. A join that succeeded stays valid across reconnections (membership outlives
 * the socket); one still unanswered when the socket drops is asked again by the next caller.
 */
export class ChatConnection {
  private state: ConnectionState = { connected: false, everConnected: false, browserOnline: true };
  private snapshot: ConnectionSnapshot = { status: 'connecting', generation: 0 };
  private readonly listeners = new Set<Listener>();
  /** Joins by room id: answered ones, and the ones in flight on the current connection. */
  private joins = new Map<string, Promise<RoomViewDto>>();
  /** Rooms whose join in `joins` has been answered. */
  private readonly joined = new Set<string>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private renewing = false;
  /** A token renewed since the last successful connection; refused again means signed out. */
  private renewedSinceConnect = false;

  constructor(
    readonly socket: ParleySocket,
    private readonly hooks: ChatConnectionHooks,
    private readonly network: NetworkEnvironment = browserNetwork,
  ) {}

  getSnapshot = (): ConnectionSnapshot => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    if (this.started) return;
    this.started = true;
    this.socket.on('connect', this.handleConnect);
    this.socket.on('disconnect', this.handleDisconnect);
    this.socket.on('connect_error', this.handleConnectError);
    this.network.addEventListener('online', this.handleOnline);
    this.network.addEventListener('offline', this.handleOffline);
    this.setState({ browserOnline: this.network.isOnline() });
    this.socket.connect();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    clearTimeout(this.retryTimer);
    this.socket.off('connect', this.handleConnect);
    this.socket.off('disconnect', this.handleDisconnect);
    this.socket.off('connect_error', this.handleConnectError);
    this.network.removeEventListener('online', this.handleOnline);
    this.network.removeEventListener('offline', this.handleOffline);
    this.socket.disconnect();
    this.joins.clear();
    this.joined.clear();
    this.setState({ connected: false });
  }

  /**
   * Joins a room (once; waits for the connection first) and resolves with its view. Makes the
   * caller a member of a public room; for a room already mine it only answers the view.
   */
  joinRoom(room: string): Promise<RoomViewDto> {
    const existing = this.joins.get(room);
    if (existing) return existing;
    const join = this.whenConnected()
      .then(() => emitWithAck(this.socket, 'join_room', { room }))
      .then(({ room: view }) => {
        // Forgotten meanwhile (removed from the room): the answer is stale.
        if (this.joins.get(room) === join) {
          this.joined.add(room);
          this.hooks.onJoined(view);
        }
        return view;
      });
    this.joins.set(room, join);
    join.catch(() => {
      // A failed join must be asked again by the next caller.
      if (this.joins.get(room) === join) this.joins.delete(room);
    });
    return join;
  }

  /**
   * The room is no longer mine (left, kicked, banned, deleted): the server has already taken
   * every socket of mine out of it, so nothing is sent — only the join is forgotten, so opening
   * the room again asks the server again.
   */
  forgetRoom(room: string): void {
    this.joins.delete(room);
    this.joined.delete(room);
  }

  /**
   * Sends on the current connection. A join of the room still in flight goes first (a public
   * room is not mine before it is answered). `not_in_room` means the socket is not in the
   * room's channel — the join was not made yet, or the membership changed meanwhile — so the
   * room is joined afresh and the send tried once more; a refused join (`not_a_member`,
   * `banned`, `room_not_found`) is the answer then.
   */
  async sendMessage(payload: SendMessageDto): Promise<MessageDto> {
    const pending = this.joined.has(payload.room) ? undefined : this.joins.get(payload.room);
    await pending?.catch(() => undefined);
    try {
      return await emitWithAck(this.socket, 'send_message', payload);
    } catch (error) {
      if (!isApiRequestError(error) || error.code !== 'not_in_room') throw error;
      this.forgetRoom(payload.room);
      await this.joinRoom(payload.room);
      return emitWithAck(this.socket, 'send_message', payload);
    }
  }

  private whenConnected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  private readonly handleConnect = (): void => {
    const reconnected = this.state.everConnected;
    this.renewedSinceConnect = false;
    this.setState({ connected: true, everConnected: true }, true);
    if (reconnected) this.hooks.onResynced();
  };

  private readonly handleDisconnect = (reason: string): void => {
    // Unanswered joins will never be answered on this socket; answered ones stay valid.
    this.joins = new Map([...this.joins].filter(([room]) => this.joined.has(room)));
    this.setState({ connected: false });
    // The server closing the socket is the one case Socket.IO does not reconnect by itself.
    if (reason === 'io server disconnect' && this.started) this.socket.connect();
  };

  private readonly handleConnectError = (error: Error): void => {
    if (error.message === 'unauthorized') {
      void this.renewTokenAndReconnect();
      return;
    }
    this.setState({ connected: false });
    this.scheduleRetry();
  };

  /**
   * Renews the access token and connects again with it; the reconnection resyncs like after any
   * other drop, so the user notices nothing.
   */
  private async renewTokenAndReconnect(): Promise<void> {
    if (this.renewing) return;
    if (this.renewedSinceConnect || !this.hooks.refreshToken) {
      this.hooks.onUnauthorized();
      return;
    }
    this.renewing = true;
    try {
      const token = await this.hooks.refreshToken();
      if (!this.started) return;
      if (!token) {
        this.hooks.onUnauthorized();
        return;
      }
      this.renewedSinceConnect = true;
      this.socket.auth = { token };
      this.socket.connect();
    } catch {
      // The server could not be reached to renew: try again like after any failed connection.
      this.setState({ connected: false });
      this.scheduleRetry();
    } finally {
      this.renewing = false;
    }
  }

  private scheduleRetry(): void {
    if (!this.socket.active && this.started) {
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.socket.connect(), RETRY_AFTER_CONNECT_ERROR_MS);
    }
  }

  private readonly handleOnline = (): void => {
    this.setState({ browserOnline: true });
    if (!this.socket.connected && this.started) this.socket.connect();
  };

  private readonly handleOffline = (): void => this.setState({ browserOnline: false });

  private setState(patch: Partial<ConnectionState>, newGeneration = false): void {
    this.state = { ...this.state, ...patch };
    const status = deriveConnectionStatus(this.state);
    const generation = this.snapshot.generation + (newGeneration ? 1 : 0);
    if (status === this.snapshot.status && generation === this.snapshot.generation) return;
    this.snapshot = { status, generation };
    this.listeners.forEach((listener) => listener());
  }
}
