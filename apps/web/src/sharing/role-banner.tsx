import { useTranslation } from '../i18n/i18n.js';
import type { Role } from './roles.js';

/** Says what a sharee may do on a folder page, so missing buttons are not a mystery. */
export const RoleBanner = ({ role }: { role: Role }) => {
  const { t } = useTranslation();
  const text =
    role === 'viewer'
      ? t('sharing.viewerBanner')
      : role === 'editor'
        ? t('sharing.editorBanner')
        : undefined;
  return text ? (
    <p className="role-banner" role="note">
      {text}
    </p>
  ) : null;
};
