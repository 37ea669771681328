import { In } from 'typeorm';
import { Queryable, UserEntity } from '@frontline/database';

/** A person's actor on an event: `user:<account id>` (the system's are `system:<part>`). */
const USER_ACTOR = /^user:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * The display names of the accounts behind `user:` actors, so that a timeline says who did
 * each step (staff accounts, not personal data of the people the records are about). One
 * query for all of them; actors that are not accounts, or no longer exist, are left out.
 */
export async function actorNames(db: Queryable, actors: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set([...actors].map((actor) => USER_ACTOR.exec(actor)?.[1]).filter((id) => id !== undefined))];
  if (ids.length === 0) return new Map();
  const users = await db.getRepository(UserEntity).find({ select: { id: true, displayName: true }, where: { id: In(ids) } });
  return new Map(users.map((user) => [`user:${user.id}`, user.displayName]));
}
