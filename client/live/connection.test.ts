/**
 * Dispatch commands on the live socket: one sent while the socket is not connected is refused
 * at once, not buffered by socket.io and sent late, after the coordinator moved on. (Commands
 * and events over a real connection are exercised by tests/e2e/dispatch.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { LiveConnection, NotConnectedError } from './connection.ts';
import { LiveState } from './LiveState.ts';

describe('LiveConnection commands', () => {
  it('refuses a command at once while not connected', async () => {
    const connection = new LiveConnection(new LiveState(), { connectionChanged: () => undefined, stateChanged: () => undefined }, 'http://127.0.0.1:9');
    await expect(connection.command('dispatch:open', { incident: '1' })).rejects.toBeInstanceOf(NotConnectedError);
    connection.stop();
  });
});
