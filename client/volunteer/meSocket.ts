/**
 * The volunteer page's own socket: the same socket.io endpoint as the wall, with the volunteer's
 * session cookie, but no live stream (a volunteer may not `live:sync`). It only says when to
 * read the volunteer's duty again: on every connect and reconnect (something may have changed
 * while it was away) and on every `me:changed`.
 *
 * A handshake the server refuses (the session ended) goes to `refused` with its code, and
 * nothing retries until `reconnect()`; a socket the server closed is rejoined after
 * REJOIN_AFTER_MS, as the wall's is.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/live.ts';
import * as wireParser from '../../server/contract/wire-parser.ts';

export interface MeListener {
  changed(): void;
  refused(code: string): void;
}

const REJOIN_AFTER_MS = 5_000;

export class MeSocket {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ autoConnect: false, parser: wireParser });
  private rejoinTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(listener: MeListener) {
    const socket = this.socket;
    socket.on('connect', () => listener.changed());
    socket.on('me:changed', () => listener.changed());
    socket.on('connect_error', (error) => {
      // An inactive socket was refused by the server; an active one retries by itself.
      if (!socket.active) listener.refused(error.message);
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') this.rejoinTimer = setTimeout(() => socket.connect(), REJOIN_AFTER_MS);
    });
  }

  start(): void {
    this.socket.connect();
  }

  /** After a new session: connect again, with the cookie of now. */
  reconnect(): void {
    clearTimeout(this.rejoinTimer);
    if (!this.socket.connected && !this.socket.active) this.socket.connect();
  }

  stop(): void {
    clearTimeout(this.rejoinTimer);
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
