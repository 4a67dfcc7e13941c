/** A reporting unit: a branch (chi bộ), the trade union, … identified by the committee's own id. */
export interface Unit {
  /** Committee-chosen id: letters, digits, "-" and "_" (e.g. "cb-van-phong"). */
  id: string;
  name: string;
  email: string;
  /** Extra addresses copied on every e-mail to the unit. */
  cc: string[];
  active: boolean;
  updatedAt: string;
}

/** A row of the units CSV, validated, before it is stored. */
export type UnitInput = Pick<Unit, 'id' | 'name' | 'email' | 'cc'>;
