import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from '../i18n/i18n.js';
import { useToasts } from '../ui/toasts.js';
import { starNode, starredQueryKey, unstarNode } from './stars-api.js';

// A glyph, the same in every language; the button's name says what it does.
const STAR = { on: '★', off: '☆' };

/** A toggle for one item's star; `starred` is what the page knew when it drew the row. */
export const StarButton = ({
  node,
  starred: initiallyStarred = false,
}: {
  node: { id: string; name: string };
  starred?: boolean;
}) => {
  const { t } = useTranslation();
  const [starred, setStarred] = useState(initiallyStarred);
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const toggle = useMutation({
    mutationFn: (next: boolean) => (next ? starNode(node.id) : unstarNode(node.id)),
    onSuccess: (_result, next) => {
      setStarred(next);
      void queryClient.invalidateQueries({ queryKey: starredQueryKey });
    },
    onError: (error) => toasts.showError(error),
  });
  return (
    <button
      type="button"
      className="button star-button"
      aria-pressed={starred}
      aria-label={t(starred ? 'stars.unstar' : 'stars.star', { name: node.name })}
      disabled={toggle.isPending}
      onClick={() => toggle.mutate(!starred)}
    >
      {starred ? STAR.on : STAR.off}
    </button>
  );
};
