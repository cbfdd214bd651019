import { useState, type SyntheticEvent } from 'react';
import { useApiForm } from '../auth/use-api-form.js';
import { useTranslation } from '../i18n/i18n.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { ModalDialog } from '../ui/modal-dialog.js';

type Props = { onCreate(name: string): Promise<void>; onClose(): void };

export const NewFolderDialog = ({ onCreate, onClose }: Props) => {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const { errors, pending, run } = useApiForm();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void run(async () => {
      await onCreate(name.trim());
      onClose();
    });
  };
  return (
    <ModalDialog title={t('files.newFolder')} onClose={onClose}>
      <form onSubmit={submit}>
        <FormAlert message={errors.form} />
        <FormField
          label={t('files.folderName')}
          name="name"
          required
          data-autofocus
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={errors.fields.name}
        />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={pending || !name.trim()}>
            {t('files.create')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
};
