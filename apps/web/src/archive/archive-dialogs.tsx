import type { ArchiveTier } from '@myfile/contract';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { restoreTiers, type RestoreTier } from './archive-api.js';
import { useArchiveActions } from './use-archive-actions.js';

type Props = {
  folder: { id: string; name: string };
  /** The server's cold tier; until it is known, restores are worded as the slow case. */
  coldTier?: ArchiveTier | undefined;
  onClose(): void;
};

/** How long a restore takes, said by where archived files are kept. */
const restoreTimeText = (coldTier: ArchiveTier | undefined) =>
  coldTier?.restore === 'immediate'
    ? 'Archived files stay on this server’s disk, so a restore takes seconds to minutes.'
    : 'Restoring is not instant: from S3 Glacier cold storage it can take several hours.';

/** Says what archiving costs before doing it: the folder turns read-only until restored. */
export const ArchiveDialog = ({ folder, coldTier, onClose }: Props) => {
  const { archive } = useArchiveActions();
  return (
    <ConfirmDialog
      title={`Archive “${folder.name}”?`}
      confirmLabel="Archive"
      onConfirm={() => archive(folder.id)}
      onClose={onClose}
    >
      <p>
        “{folder.name}” and everything in it become <strong>read-only</strong>: nothing can be
        uploaded, renamed, moved or deleted inside, and its files cannot be downloaded until you
        restore it. Their contents move to cold storage, which costs less.
      </p>
      <p className="muted">{restoreTimeText(coldTier)}</p>
    </ConfirmDialog>
  );
};

const tierText: Record<RestoreTier, { label: string; hint: string }> = {
  expedited: { label: 'Expedited', hint: 'Minutes on S3 Glacier; costs the most.' },
  standard: { label: 'Standard', hint: 'A few hours on S3 (3–5 h, up to 12 h for Deep Archive).' },
  bulk: { label: 'Bulk', hint: 'Cheapest; 5–12 hours on S3, up to 48 h for Deep Archive.' },
};

/** Restore with a chosen S3 retrieval tier; the folder stays read-only until it is back. */
export const RestoreDialog = ({ folder, coldTier, onClose }: Props) => {
  const { restore } = useArchiveActions();
  const [tier, setTier] = useState<RestoreTier>('standard');
  const name = useId();
  return (
    <ConfirmDialog
      title={`Restore “${folder.name}”?`}
      confirmLabel="Restore"
      onConfirm={() => restore(folder.id, tier)}
      onClose={onClose}
    >
      {coldTier?.restore === 'immediate' ? (
        <p>
          Its files come back from this server’s disk in seconds to minutes; the folder stays
          read-only until they all have.
        </p>
      ) : (
        <p>
          Its files come back from cold storage; the folder stays read-only until they all have. A
          restore from S3 Glacier can take hours: you will get a notice here and an email when it is
          done.
        </p>
      )}
      {/* The retrieval speed is S3 Glacier's choice; a disk tier has only one. */}
      {coldTier?.restore !== 'immediate' && (
        <fieldset className="tier-choice">
          <legend>Speed</legend>
          {restoreTiers.map((value) => (
            <label key={value} className="tier-option">
              <input
                type="radio"
                name={name}
                value={value}
                checked={tier === value}
                onChange={() => setTier(value)}
              />
              <span>
                <strong>{tierText[value].label}</strong>
                <span className="muted"> {tierText[value].hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
    </ConfirmDialog>
  );
};
