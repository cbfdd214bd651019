import type { NodeDto } from '@myfile/contract';
import { StarButton } from '../stars/star-button.js';

/** An entry's star toggle (list row or tile), once the folder's starred entries are known. */
export const EntryStar = ({
  node,
  starredIds,
}: {
  node: NodeDto;
  starredIds: ReadonlySet<string> | undefined;
}) => {
  if (!starredIds) return null;
  const starred = starredIds.has(node.id);
  return (
    // Starring is not choosing: the entry's selection stays as it was.
    <span
      className="row-star"
      onClick={(event) => event.stopPropagation()}
      onDoubleClick={(event) => event.stopPropagation()}
    >
      <StarButton key={`${node.id}:${String(starred)}`} node={node} starred={starred} />
    </span>
  );
};
