/**
 * Sends a CSV file to the registry import as it is, its bytes untouched (the server reads
 * UTF-8 or GB18030, as Excel saves), as `text/csv`. It reads the session first, so the CSRF
 * token sent is the current one. The answer reads as every Api answer: the JSON on a 2xx, else
 * an ApiError with the server's code, message and details (the file's problems, by line).
 */
import type { Api, Me } from '../api.ts';
import { SESSION_PATH } from '../session.ts';
import { importPath, type BatchAccepted, type ImportKind } from './model.ts';

export function importCsv(client: Api, kind: ImportKind, file: Blob): Promise<BatchAccepted> {
  return uploadCsv<BatchAccepted>(client, importPath(kind), file);
}

/** Any CSV import (the registry's, the leaders' reference figures): the file to `path` as it is. */
export async function uploadCsv<T>(client: Api, path: string, file: Blob): Promise<T> {
  client.signedIn(await client.get<Me>(SESSION_PATH));
  return client.postFile<T>(path, file, 'text/csv');
}
