import type { ArchiveTier } from '@myfile/contract';
import { useId, useState } from 'react';
import { t as translate, Trans, useTranslation } from '../i18n/i18n.js';
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
    ? translate('archive.restoreTimeDisk')
    : translate('archive.restoreTimeCold');

/** Says what archiving costs before doing it: the folder turns read-only until restored. */
export const ArchiveDialog = ({ folder, coldTier, onClose }: Props) => {
  const { t } = useTranslation();
  const { archive } = useArchiveActions();
  return (
    <ConfirmDialog
      title={t('archive.archiveQuestion', { name: folder.name })}
      confirmLabel={t('archive.archiveConfirm')}
      onConfirm={() => archive(folder.id)}
      onClose={onClose}
    >
      <p>
        <Trans
          i18nKey="archive.archiveExplained"
          values={{ name: folder.name }}
          components={{ strong: <strong /> }}
        />
      </p>
      <p className="muted">{restoreTimeText(coldTier)}</p>
    </ConfirmDialog>
  );
};

/** Restore with a chosen S3 retrieval tier; the folder stays read-only until it is back. */
export const RestoreDialog = ({ folder, coldTier, onClose }: Props) => {
  const { t } = useTranslation();
  const { restore } = useArchiveActions();
  const [tier, setTier] = useState<RestoreTier>('standard');
  const name = useId();
  return (
    <ConfirmDialog
      title={t('archive.restoreQuestion', { name: folder.name })}
      confirmLabel={t('archive.restoreConfirm')}
      onConfirm={() => restore(folder.id, tier)}
      onClose={onClose}
    >
      {coldTier?.restore === 'immediate' ? (
        <p>{t('archive.restoreFromDisk')}</p>
      ) : (
        <p>{t('archive.restoreFromCold')}</p>
      )}
      {/* The retrieval speed is S3 Glacier's choice; a disk tier has only one. */}
      {coldTier?.restore !== 'immediate' && (
        <fieldset className="tier-choice">
          <legend>{t('archive.speed')}</legend>
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
                <strong>{t(`archive.tiers.${value}`)}</strong>
                <span className="muted"> {t(`archive.tiers.${value}Hint`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
    </ConfirmDialog>
  );
};
