import { Layout } from '#shared/web/layout.tsx';

/** The one answer to every well-formed sign-in request, known address or not. */
export const SIGN_IN_SENT =
  'Als dit adres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail met een link om in te loggen.';

/** What the sign-in page shows besides its form. */
export interface SignInPageProps {
  /** A sign-in request was taken (the form is replaced by {@link SIGN_IN_SENT}). */
  sent?: boolean;
  /** The person has just signed out. */
  signedOut?: boolean;
  /** Why the entered address was refused, in Dutch. */
  error?: string;
}

/** `/inloggen`: staff ask for a sign-in link by email. */
export function SignInPage(props: SignInPageProps) {
  return (
    <Layout title="Inloggen">
      <h1>Inloggen voor opleiders</h1>
      {props.signedOut && (
        <p class="success" role="status">
          U bent uitgelogd.
        </p>
      )}
      {props.sent ? (
        <p class="success" role="status">
          {SIGN_IN_SENT}
        </p>
      ) : (
        <>
          <p>
            Instituutsopleiders, schoolopleiders en schoolcoördinatoren loggen in met een link per e-mail. Vul het e-mailadres in
            waarmee u in het rooster staat.
          </p>
          {props.error && (
            <p class="error" role="alert" id="fout-email">
              {props.error}
            </p>
          )}
          <form method="post" action="/inloggen" novalidate>
            <label for="email">E-mailadres</label>
            <input
              type="email"
              id="email"
              name="email"
              autocomplete="email"
              required
              aria-invalid={props.error ? 'true' : undefined}
              aria-describedby={props.error ? 'fout-email' : undefined}
            />
            <div class="actions">
              <button type="submit">Stuur mij een inloglink</button>
            </div>
          </form>
        </>
      )}
    </Layout>
  );
}
