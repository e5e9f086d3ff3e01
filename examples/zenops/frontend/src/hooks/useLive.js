// Live updates: sockets and server-sent events are not REST calls.
export function useLive(onMessage) {
  const socket = new WebSocket(`ws://${window.location.host}/api/live`);
  socket.onmessage = onMessage;
  const events = new EventSource('/api/events');
  events.onmessage = onMessage;
  return () => {
    socket.close();
    events.close();
  };
}
