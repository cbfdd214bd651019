import { useSession } from '../session/session-context.js';

export const HomePage = () => {
  const session = useSession();
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">My File</h1>
      <p>Secure, self-hosted file storage.</p>
      <p role="status">
        {session.status === 'loading' && 'Checking your session…'}
        {session.status === 'signed-out' && 'You are signed out.'}
        {session.status === 'signed-in' && `Signed in as ${session.user.email}.`}
      </p>
    </section>
  );
};
