/**
 * Columns that cases and incidents share: where the item is, its description, its times and the
 * seq of its last change, as `pg` returns them (timestamps as Date, bigint as string).
 */
export interface LifecycleRow {
  id: string;
  lon: number;
  lat: number;
  subdistrict: string | null;
  cell: string | null;
  outside: boolean;
  description: string | null;
  reported_at: Date;
  updated_at: Date;
  seq: string;
}
