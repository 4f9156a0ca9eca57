/**
 * Versions of what the tab's overview is made of, moved by the events that
 * change it: an environment of the entity changed in Argo CD (the mirrors'
 * watch events, after `EnvironmentSignals` dropped what changes nothing a tab
 * shows), a change request of the entity moved (the change store), a
 * verification decision was recorded. A change movement of any entity also
 * moves the "changes" version, since the caller's pending approvals span
 * every entity.
 *
 * A cached overview is served only while both versions it was built at are
 * unchanged (and it is younger than its time to live). Every replica keeps
 * its own stamps: its own mirrors see every Argo CD event; movements made by
 * another replica reach this one through the events service
 * (`ViewInvalidations`) when an events backend is installed, else the time to
 * live bounds how late they are seen.
 *
 * @internal
 */
export class ViewStamps {
  readonly #entities = new Map<string, number>();
  #changes = 0;
  #counter = 0;
  /** Version of an entity without a stamp of its own (moved when the stamps are forgotten). */
  #floor = 0;

  /** Version of the entity's part of the overview. */
  entity(entityRef: string): number {
    return (
      this.#entities.get(entityRef.toLocaleLowerCase('en-US')) ?? this.#floor
    );
  }

  /** Version of every entity's change requests (pending approvals). */
  changes(): number {
    return this.#changes;
  }

  /** Something the entity's overview shows changed. */
  entityChanged(entityRef: string): void {
    this.#counter += 1;
    this.#entities.set(entityRef.toLocaleLowerCase('en-US'), this.#counter);
    if (this.#entities.size > 100_000) {
      // bounded: forgetting the stamps moves every entity's version to a new
      // floor that no cached entry was built at, so nothing stale is served
      this.#entities.clear();
      this.#floor = ++this.#counter;
      this.#changes = this.#floor;
    }
  }

  /** A change request of the entity moved (also every caller's pending approvals). */
  changeMoved(entityRef: string): void {
    this.entityChanged(entityRef);
    this.#changes = ++this.#counter;
  }
}
