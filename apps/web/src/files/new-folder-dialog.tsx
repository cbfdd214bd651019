import { useState, type SyntheticEvent } from 'react';
import { useApiForm } from '../auth/use-api-form.js';
import { FormAlert, FormField } from '../ui/form-field.js';
import { ModalDialog } from '../ui/modal-dialog.js';

type Props = { onCreate(name: string): Promise<void>; onClose(): void };

export const NewFolderDialog = ({ onCreate, onClose }: Props) => {
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
    <ModalDialog title="New folder" onClose={onClose}>
      <form onSubmit={submit}>
        <FormAlert message={errors.form} />
        <FormField
          label="Folder name"
          name="name"
          required
          data-autofocus
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={errors.fields.name}
        />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={pending || !name.trim()}>
            Create
          </button>
        </div>
      </form>
    </ModalDialog>
  );
};
