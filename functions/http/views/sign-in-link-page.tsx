import { Layout } from '#shared/web/layout.tsx';

/**
 * `/inloggen/<token>`: who the link signs in, and the button that spends it. Opening the link
 * spends nothing, so a mail scanner that follows it does not use it up.
 */
export function SignInLinkPage(props: { token: string; email: string }) {
  return (
    <Layout title="Inloggen">
      <h1>Inloggen</h1>
      <p>U logt in als {props.email}.</p>
      <form method="post" action={`/inloggen/${props.token}`}>
        <div class="actions">
          <button type="submit">Inloggen</button>
        </div>
      </form>
    </Layout>
  );
}
