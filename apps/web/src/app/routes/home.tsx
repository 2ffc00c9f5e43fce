export function HomeRoute() {
  return (
    <div className="empty-state">
      <h2>Welcome to Parley</h2>
      <p>Create a room, join one by its id or link, or pick a room from the list.</p>
    </div>
  );
}
