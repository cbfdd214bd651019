import type { Role } from './roles.js';

const words: Partial<Record<Role, string>> = {
  viewer:
    'Shared with you as a viewer: you can open, download and copy what is here, not change it.',
  editor:
    'Shared with you as an editor: you can upload, rename, move and delete here. What you add counts against the owner’s storage.',
};

/** Says what a sharee may do on a folder page, so missing buttons are not a mystery. */
export const RoleBanner = ({ role }: { role: Role }) => {
  const text = words[role];
  return text ? (
    <p className="role-banner" role="note">
      {text}
    </p>
  ) : null;
};
