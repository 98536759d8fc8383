/** Thrown by a page for a thing that does not exist: the router answers the not-found page, 404. */
export class PageNotFound extends Error {
  constructor(readonly detail?: string) {
    super(detail ?? "not found");
  }
}
