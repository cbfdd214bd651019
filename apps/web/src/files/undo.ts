/**
 * The last move, rename or trash, as the change that takes it back. One step, as in most
 * file managers: a new action replaces the offer, and undoing uses it up.
 */
export type Undo = { label(): string; run(): Promise<void> };

let last: Undo | undefined;

export const offerUndo = (undo: Undo) => {
  last = undo;
};

/**
 * The last action's undo, used up; undefined when there is nothing to undo, or when `only`
 * is given and a later action has replaced it (its toast's button then does nothing).
 */
export const takeUndo = (only?: Undo): Undo | undefined => {
  const undo = last;
  if (!undo || (only && undo !== only)) return undefined;
  last = undefined;
  return undo;
};
