import { FormField } from '../ui/form-field.js';
import { useTranslation } from '../i18n/i18n.js';

/**
 * A new password and its confirmation, as signing up, resetting and changing a password all
 * ask for them: the same rule shown, the same autocomplete hint for password managers.
 */
export const NewPasswordFields = ({
  label,
  name,
  password,
  confirm,
  onPassword,
  onConfirm,
  errors,
}: {
  label: 'Password' | 'New password';
  /** The form field's name, where the page's form is read by name (tests, password managers). */
  name?: string;
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  errors: { password?: string | undefined; confirm?: string | undefined };
}) => {
  const { t } = useTranslation();
  const isNew = label === 'New password';
  return (
    <>
      <FormField
        label={isNew ? t('auth.newPassword') : t('auth.password')}
        type="password"
        name={name}
        autoComplete="new-password"
        required
        hint={t('auth.passwordRule')}
        value={password}
        onChange={(event) => onPassword(event.target.value)}
        error={errors.password}
      />
      <FormField
        label={isNew ? t('auth.confirmNewPassword') : t('auth.confirmPassword')}
        type="password"
        name="confirm"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(event) => onConfirm(event.target.value)}
        error={errors.confirm}
      />
    </>
  );
};
