// Who is using the page: the key's user and the creator the page acts for, with the role.

/** {me: GET /v1/me, creator: {id, handle, display_name, role}}, set once the key is checked. */
export const session = { me: null, creator: null };

export function isManager() {
  return Boolean(session.creator && session.creator.role !== "chatter");
}
