/**
 * The S3 object tag that holds a malware scan's result. It is GuardDuty Malware Protection for
 * S3's own key: on AWS GuardDuty writes it; locally the ClamAV tagger of the local stack
 * (`infra/local/malware.ts`) writes the same key with the same values, so the app reads one tag.
 */
export const SCAN_TAG = 'GuardDutyMalwareScanStatus';

/**
 * The values GuardDuty writes to {@link SCAN_TAG} ("S3 object potential malware scan result
 * status values" in the GuardDuty user guide).
 */
export const SCAN_RESULTS = [
  'NO_THREATS_FOUND',
  'THREATS_FOUND',
  'UNSUPPORTED',
  'ACCESS_DENIED',
  'FAILED',
] as const;

/** One of {@link SCAN_RESULTS}. */
export type ScanResult = (typeof SCAN_RESULTS)[number];

/**
 * What the app makes of an object's scan tag:
 * - `pending`: not scanned yet (no tag); the page says "wordt gecontroleerd";
 * - `clean`: no threats found; the only verdict that may be served;
 * - `threat`: quarantined, never served;
 * - `unscannable`: the scan could not judge the file (unsupported, access denied, failed);
 *   never served either, since nobody knows what it holds.
 */
export type ScanVerdict = 'pending' | 'clean' | 'threat' | 'unscannable';

/**
 * Maps a {@link SCAN_TAG} value to a verdict. An unknown value is treated as `unscannable`, so a
 * value GuardDuty adds later never lets a file through.
 */
export function verdictOf(tagValue: string | undefined): ScanVerdict {
  if (tagValue === undefined) return 'pending';
  if (tagValue === 'NO_THREATS_FOUND') return 'clean';
  if (tagValue === 'THREATS_FOUND') return 'threat';
  return 'unscannable';
}
