/** The messages of a form that was not right, each a link to its field. */
export function ErrorSummary(props: { errors: Readonly<Partial<Record<string, string>>>; prefix: string; id: string; heading: string }) {
  const list = Object.entries(props.errors).filter(([, message]) => message);
  if (list.length === 0) return null;
  return (
    <div class="error" role="alert" tabindex={-1} id={props.id}>
      <p>
        <strong>{props.heading}</strong>
      </p>
      <ul>
        {list.map(([field, message]) => (
          <li>
            <a href={`#${props.prefix}-${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
