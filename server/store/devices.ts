/**
 * Phones nobody registered: every report from an unknown device id is refused and counted here
 * (how often, when, over which protocol and feed key) so an admin can see which phones to give
 * to volunteers. A device drops off the list once a volunteer is registered with it.
 */
import type { PhoneProtocol, UnknownDevice } from '../contract/phones.ts';
import type { Queryable } from './store.ts';

/** The most a listing returns, latest first: enough to act on, small enough to send. */
export const MAX_UNKNOWN_DEVICES_LISTED = 1000;

interface UnknownDeviceRow {
  device_id: string;
  protocol: PhoneProtocol;
  feed_key: string | null;
  first_seen: Date;
  last_seen: Date;
  reports: string;
}

export async function countUnknownDevice(
  q: Queryable,
  report: { deviceId: string; protocol: PhoneProtocol; feedKey: string },
): Promise<void> {
  await q.query(
    `INSERT INTO unknown_devices (device_id, protocol, feed_key) VALUES ($1, $2, $3)
     ON CONFLICT (device_id) DO UPDATE SET reports = unknown_devices.reports + 1, last_seen = now(),
       protocol = EXCLUDED.protocol, feed_key = EXCLUDED.feed_key`,
    [report.deviceId, report.protocol, report.feedKey],
  );
}

/** Unknown devices that are still not registered to anyone, most recently seen first. */
export async function listUnknownDevices(q: Queryable): Promise<UnknownDevice[]> {
  const { rows } = await q.query<UnknownDeviceRow>(
    `SELECT u.* FROM unknown_devices u
     WHERE NOT EXISTS (SELECT 1 FROM volunteers v WHERE v.device_id = u.device_id)
     ORDER BY u.last_seen DESC, u.device_id LIMIT $1`,
    [MAX_UNKNOWN_DEVICES_LISTED],
  );
  return rows.map((row) => ({
    deviceId: row.device_id,
    protocol: row.protocol,
    feedKey: row.feed_key,
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    reports: Number(row.reports),
  }));
}
