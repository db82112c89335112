// A Slack user's profile as users.info gave it (home workspace, email, name), kept so a message's
// author is matched without asking Slack again. The Slack adapter reads it through its ports; the
// database holds it (slack_users) and Redis may keep a copy for every instance.
export interface SlackProfile {
  teamId: string;
  userId: string;
  homeTeamId: string | null;
  email: string | null;
  name: string | null;
  isBot: boolean;
  fetchedAt: Date;
}
