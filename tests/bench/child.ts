/**
 * A bench helper in a process of its own (the walls, the feed), so the server's figures are the
 * server's: a TypeScript file forked through tsx with its options as JSON, spoken to over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';

export function forkBench(file: URL, options: unknown): ChildProcess {
  return fork(file, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The child's next message; an error if it exits first. */
export function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`a bench process exited with ${String(code)} before answering`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}
