/** A reporting unit: a branch (chi bộ), the trade union, … identified by the committee's own id. */
export interface Unit {
  /** Committee-chosen id: letters, digits, "-" and "_" (e.g. "cb-van-phong"). */
  id: string;
  name: string;
  email: string;
  /** Extra addresses copied on every e-mail to the unit. */
  cc: string[];
  /** The committee's own note on the unit (at most {@link MAX_UNIT_NOTE_CHARS} characters). */
  note?: string | undefined;
  /**
   * Kept for units stored before retirement existed: false once the unit is retired (and for a
   * unit stored inactive). A unit is a recipient of a period only while it is active and not
   * retired before the period's open date (`recipientUnits`).
   */
  active: boolean;
  /**
   * The committee of this deployment that the unit is (units CSV column `committee`; docs/
   * tenancy.md): its own report is its submission here, sent up from that committee.
   */
  committeeId?: string | undefined;
  /** Set while the unit is retired (merged, dissolved…); null or absent otherwise. */
  retired?: UnitRetirement | null | undefined;
  updatedAt: string;
}

/** Why a unit stopped reporting. */
export type RetirementReason = 'merged' | 'dissolved' | 'other';

/** The reasons, as people read them. */
export const RETIREMENT_REASON_LABELS: Record<RetirementReason, string> = {
  merged: 'sáp nhập',
  dissolved: 'giải thể',
  other: 'khác',
};

/** A unit's retirement: it reports in no period from `from` on (docs/units.md). */
export interface UnitRetirement {
  /** The committee-local date `YYYY-MM-DD` from which the unit no longer reports. */
  from: string;
  reason: RetirementReason;
  /** Free text, e.g. "sáp nhập vào Chi bộ Văn phòng" (at most {@link MAX_RETIREMENT_DETAIL_CHARS}). */
  detail?: string | undefined;
  /** When the committee recorded it (ISO-8601). */
  at: string;
}

/** Longest note on a unit, in characters (as a cell of the units CSV). */
export const MAX_UNIT_NOTE_CHARS = 500;
/** Longest detail of a retirement, in characters. */
export const MAX_RETIREMENT_DETAIL_CHARS = 200;

/** The reason of a retirement, with its detail: "sáp nhập: vào Chi bộ A". */
export function retirementText(retired: Pick<UnitRetirement, 'reason' | 'detail'>): string {
  const label = RETIREMENT_REASON_LABELS[retired.reason];
  return retired.detail ? `${label}: ${retired.detail}` : label;
}

/**
 * A row of the units CSV (or .xlsx, or the web form), validated, before it is stored. `note` is
 * absent when the file has no note column (the stored note is then kept).
 */
export type UnitInput = Pick<Unit, 'id' | 'name' | 'email' | 'cc'> & {
  note?: string | undefined;
  /** Absent: the file has no `committee` column (the stored link is kept); '' clears it. */
  committeeId?: string | undefined;
};
