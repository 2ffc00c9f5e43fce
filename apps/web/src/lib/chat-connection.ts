import type { ErrorCode, MessageDto, RoomDto, SendMessageDto } from '@parley/contracts';
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
   * A `join_room` succeeded. Messages sent between a history fetch and the join reach neither,
   * so the room must catch up now. `rejoin`: part of re-joining after a reconnection, which
   * `onResynced` follows once every room is back.
   */
  onJoined: (room: RoomDto, rejoin: boolean) => void;
  /** Rooms are joined again after a reconnection; whatever was missed must be fetched. */
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

const PERMANENT_JOIN_ERRORS = new Set<ErrorCode>(['room_not_found', 'validation_failed']);

/** After a refused handshake Socket.IO stops retrying by itself; this is how long we wait. */
const RETRY_AFTER_CONNECT_ERROR_MS = 2_000;

/**
 * Owns one socket for the signed-in session: connection status for the banner, the rooms this
 * tab has joined (re-joined after every reconnection, then `onResynced` so the caller refetches),
 * and sends that wait for the room to be joined on the current connection — a message buffered
 * while offline must not reach the server before its `join_room`, or it fails with `not_in_room`.
 */
export class ChatConnection {
  private state: ConnectionState = { connected: false, everConnected: false, browserOnline: true };
  private snapshot: ConnectionSnapshot = { status: 'connecting', generation: 0 };
  private readonly listeners = new Set<Listener>();
  /** Rooms this tab wants to be in, across reconnections. */
  private readonly rooms = new Set<string>();
  /** Joins made on the current connection, keyed by room id. */
  private joins = new Map<string, Promise<RoomDto>>();
  /** Rooms being re-joined after a reconnection. */
  private rejoining = new Set<string>();
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
    this.setState({ connected: false });
  }

  /** Joins a room on the current connection (once) and keeps it joined across reconnections. */
  joinRoom(room: string): Promise<RoomDto> {
    this.rooms.add(room);
    const existing = this.joins.get(room);
    if (existing) return existing;
    const join = this.whenConnected()
      .then(() => emitWithAck(this.socket, 'join_room', { room }))
      .then(({ room: joined }) => {
        this.hooks.onJoined(joined, this.rejoining.delete(room));
        return joined;
      });
    this.joins.set(room, join);
    join.catch((error: unknown) => {
      // A failed join must be retried by the next caller, and a room that does not exist must
      // not be re-joined after every reconnection.
      if (this.joins.get(room) === join) this.joins.delete(room);
      this.rejoining.delete(room);
      if (isApiRequestError(error) && PERMANENT_JOIN_ERRORS.has(error.code))
        this.rooms.delete(room);
    });
    return join;
  }

  /** Leaves the room and stops re-joining it; a no-op on the server when offline (it left then). */
  async leaveRoom(room: string): Promise<void> {
    this.rooms.delete(room);
    this.joins.delete(room);
    if (this.socket.connected) await emitWithAck(this.socket, 'leave_room', { room });
  }

  async sendMessage(payload: SendMessageDto): Promise<MessageDto> {
    await this.joinRoom(payload.room);
    return emitWithAck(this.socket, 'send_message', payload);
  }

  private whenConnected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('connect', () => resolve()));
  }

  private readonly handleConnect = (): void => {
    const reconnected = this.state.everConnected;
    this.renewedSinceConnect = false;
    this.setState({ connected: true, everConnected: true }, true);
    if (!reconnected) return;
    this.rejoining = new Set(this.rooms);
    const rejoins = [...this.rooms].map((room) => this.joinRoom(room));
    void Promise.allSettled(rejoins).then(() => this.hooks.onResynced());
  };

  private readonly handleDisconnect = (reason: string): void => {
    this.joins = new Map();
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
   * Renews the access token and connects again with it. The rooms set is untouched, so the
   * reconnection re-joins them like after any other drop and the user notices nothing.
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
