import { Link } from 'react-router';
import { useTitle } from '../ui/use-title.js';

export const NotFoundPage = () => {
  useTitle('Page not found');
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Go to your files</Link>.
      </p>
    </section>
  );
};
