import type { AdminFailedJobs, AdminUser, AdminUsersPage, InstanceTotals } from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatBytes, formatDate } from '../api/format.js';
import { api } from '../api/http.js';
import { useReauth } from '../account/reauth-prompt.js';
import { useToasts } from '../ui/toasts.js';
import { useTitle } from '../ui/use-title.js';

const MiB = 1024 * 1024;

const TotalsSection = () => {
  const totals = useQuery({
    queryKey: ['admin', 'totals'],
    queryFn: () => api<InstanceTotals>('/api/admin/totals'),
  });
  if (totals.error) return <p role="alert">{errorMessage(totals.error)}</p>;
  if (!totals.data) return <p>Loading totals…</p>;
  const { users, files, bytes, jobs } = totals.data;
  return (
    <section aria-labelledby="admin-totals">
      <h2 id="admin-totals">Instance</h2>
      <dl className="admin-totals">
        <dt>Accounts</dt>
        <dd>
          {users.total} ({users.admins} admin, {users.disabled} disabled)
        </dd>
        <dt>Files</dt>
        <dd>{files}</dd>
        <dt>Stored</dt>
        <dd>
          {formatBytes(bytes.hot)} hot, {formatBytes(bytes.cold)} cold
        </dd>
        <dt>Jobs</dt>
        <dd>
          {jobs.queued} queued, {jobs.running} running, {jobs.done} done, {jobs.failed} failed
        </dd>
      </dl>
    </section>
  );
};

const QuotaForm = ({ user, onSaved }: { user: AdminUser; onSaved: () => void }) => {
  const toasts = useToasts();
  const { withReauth, prompt } = useReauth();
  const [value, setValue] = useState(String(Math.round(user.quotaBytes / MiB)));
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const mib = Number(value);
    if (!Number.isFinite(mib) || mib < 0) {
      toasts.show('Enter a quota in MiB (0 or more).', 'error');
      return;
    }
    try {
      await withReauth(async () => {
        await api(`/api/admin/users/${user.id}/quota`, {
          method: 'PUT',
          body: { quotaBytes: Math.round(mib * MiB) },
        });
        toasts.show(
          `Quota of ${user.email} set to ${formatBytes(Math.round(mib * MiB))}.`,
          'success',
        );
        onSaved();
      });
    } catch (error) {
      toasts.showError(error);
    }
  };
  return (
    <>
      <form onSubmit={(event) => void submit(event)} className="admin-quota">
        <label>
          Quota (MiB) for {user.email}
          <input
            type="number"
            min={0}
            inputMode="numeric"
            value={value}
            onChange={(event) => setValue(event.target.value)}
          />
        </label>
        <button type="submit" className="button">
          Save quota
        </button>
      </form>
      {prompt}
    </>
  );
};

const UsersSection = () => {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const { withReauth, prompt } = useReauth();
  const [query, setQuery] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const users = useQuery({
    queryKey: ['admin', 'users', query, cursor],
    queryFn: () =>
      api<AdminUsersPage>(
        `/api/admin/users?${new URLSearchParams({
          ...(query ? { q: query } : {}),
          ...(cursor ? { cursor } : {}),
          limit: '50',
        }).toString()}`,
      ),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['admin'] });
  const act = async (user: AdminUser, action: 'disable' | 'enable' | 'password-reset') => {
    const confirmText = {
      disable: `Disable ${user.email}? They are signed out everywhere at once.`,
      enable: `Enable ${user.email} again?`,
      'password-reset': `Force a password reset for ${user.email}? Their password stops working and they are signed out; a reset link is mailed to them.`,
    }[action];
    if (!window.confirm(confirmText)) return;
    try {
      await withReauth(async () => {
        await api(`/api/admin/users/${user.id}/${action}`, { method: 'POST' });
        toasts.show(
          {
            disable: `${user.email} is disabled.`,
            enable: `${user.email} is enabled.`,
            'password-reset': `A reset link was sent to ${user.email}.`,
          }[action],
          'success',
        );
        refresh();
      });
    } catch (error) {
      toasts.showError(error);
    }
  };
  return (
    <section aria-labelledby="admin-users">
      <h2 id="admin-users">Accounts</h2>
      {prompt}
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setCursors([]);
        }}
      >
        <label>
          Find an account
          <input
            type="search"
            value={query}
            placeholder="part of an email address"
            onChange={(event) => {
              setQuery(event.target.value);
              setCursors([]);
            }}
          />
        </label>
      </form>
      {users.error ? <p role="alert">{errorMessage(users.error)}</p> : null}
      <div className="table-scroll">
        <table className="admin-users">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Used</th>
              <th scope="col">Quota</th>
              <th scope="col">Files</th>
              <th scope="col">Last seen</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.users ?? []).map((user) => (
              <tr key={user.id}>
                <th scope="row">
                  {user.email}
                  {user.isAdmin ? ' (admin)' : ''}
                </th>
                <td>{formatBytes(user.usedBytes)}</td>
                <td>
                  <QuotaForm key={user.quotaBytes} user={user} onSaved={refresh} />
                </td>
                <td>{user.fileCount}</td>
                <td>{user.lastSeenAt ? formatDate(user.lastSeenAt) : 'never'}</td>
                <td>{user.disabled ? 'Disabled' : 'Active'}</td>
                <td>
                  {user.disabled ? (
                    <button
                      type="button"
                      className="button"
                      onClick={() => void act(user, 'enable')}
                    >
                      Enable {user.email}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="button"
                      onClick={() => void act(user, 'disable')}
                    >
                      Disable {user.email}
                    </button>
                  )}
                  <button
                    type="button"
                    className="button"
                    onClick={() => void act(user, 'password-reset')}
                  >
                    Reset password of {user.email}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {cursors.length > 0 ? (
          <button type="button" className="button" onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous page
          </button>
        ) : null}
        {users.data?.nextCursor ? (
          <button
            type="button"
            onClick={() => {
              const next = users.data?.nextCursor;
              if (next) setCursors([...cursors, next]);
            }}
          >
            Next page
          </button>
        ) : null}
      </p>
    </section>
  );
};

const FailedJobsSection = () => {
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const { withReauth, prompt } = useReauth();
  const jobs = useQuery({
    queryKey: ['admin', 'failed-jobs'],
    queryFn: () => api<AdminFailedJobs>('/api/admin/jobs/failed'),
  });
  const retry = async (id: string) => {
    try {
      await withReauth(async () => {
        await api(`/api/admin/jobs/${id}/retry`, { method: 'POST' });
        toasts.show('The job will run again.', 'success');
      });
    } catch (error) {
      toasts.showError(error);
    } finally {
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    }
  };
  return (
    <section aria-labelledby="admin-jobs">
      <h2 id="admin-jobs">Failed jobs</h2>
      {prompt}
      {jobs.error ? <p role="alert">{errorMessage(jobs.error)}</p> : null}
      {jobs.data && jobs.data.jobs.length === 0 ? <p>No failed jobs.</p> : null}
      <ul className="admin-jobs">
        {(jobs.data?.jobs ?? []).map((job) => (
          <li key={job.id}>
            {job.name} of {job.ownerEmail ?? 'the system'}, {job.attempts} attempts
            {job.finishedAt ? `, failed ${formatDate(job.finishedAt)}` : ''}{' '}
            <button type="button" className="button" onClick={() => void retry(job.id)}>
              Retry {job.name}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
};

/** Accounts, quotas and the job queue; never anyone's files. */
export const AdminPage = () => {
  useTitle('Administration');
  return (
    <div className="page admin-page">
      <h1>Administration</h1>
      <TotalsSection />
      <UsersSection />
      <FailedJobsSection />
    </div>
  );
};
