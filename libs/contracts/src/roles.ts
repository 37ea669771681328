export const ROLES = ['commander', 'duty-officer', 'field-team', 'lab', 'admin'] as const;
export type Role = (typeof ROLES)[number];
