import { useTranslation } from '../i18n/i18n.js';
import { useLiveEvents } from './use-live-events.js';

/** Runs the live connection for the signed-in shell and says whether changes arrive live. */
export const LiveIndicator = () => {
  const { t } = useTranslation();
  const status = useLiveEvents();
  const label = t(`live.${status}`);
  return (
    <span
      className={`live-indicator live-${status}`}
      role="status"
      aria-label={t('live.updates', { status: label })}
    >
      <span aria-hidden="true" className="live-dot" />
      {label}
    </span>
  );
};
