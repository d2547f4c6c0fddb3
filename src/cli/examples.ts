/**
 * Examples shown under each command's --help, keyed by the command's path. A command missing here
 * still gets one, built from its arguments and required options (help.ts), so every command has
 * an example the day it is added; a written one is better.
 */
export const examples: Readonly<Record<string, readonly string[]>> = {
  '': [
    'oauth-gateway serve                                   # SQLite in ./data, demo accounts on first start',
    'oauth-gateway --config /etc/oauth-gateway/config.json serve',
    'oauth-gateway user add --username alice --profile operators   # asks for the password',
    'oauth-gateway client list --json',
  ],
  serve: [
    'oauth-gateway serve --port 8080',
    'GATEWAY_UPSTREAM=http://127.0.0.1:3000 oauth-gateway serve --no-demo',
    'oauth-gateway --config /etc/oauth-gateway/config.json serve --workers auto',
  ],
  migrate: ['oauth-gateway --config /etc/oauth-gateway/config.json migrate', 'GATEWAY_DATABASE_URL=postgres://gateway@db/gateway oauth-gateway migrate --json'],
  backup: ['oauth-gateway backup --to /var/backups/gateway-$(date +%F).sqlite', 'oauth-gateway --config /etc/oauth-gateway/config.json backup --to gateway.sqlite --json'],
  'profile add': ['oauth-gateway profile add --name operators --privileges api_access,posts_read'],
  'profile list': ['oauth-gateway profile list', 'oauth-gateway profile list --json'],
  'user add': [
    'oauth-gateway user add --username alice --profile operators     # asks twice, without echo',
    'printf "%s\\n" "$PASSWORD" | oauth-gateway user add --username alice',
  ],
  'user list': ['oauth-gateway user list', 'oauth-gateway user list --json'],
  'user disable': ['oauth-gateway user disable alice'],
  'user passwd': ['oauth-gateway user passwd alice                  # asks twice, without echo', 'oauth-gateway user passwd alice < new-password.txt'],
  'user grants': ['oauth-gateway user grants alice', 'oauth-gateway user grants alice --json'],
  'user revoke': ['oauth-gateway user revoke alice', 'oauth-gateway user revoke alice --client my-app', 'oauth-gateway user revoke alice --consumer KEY', 'oauth-gateway user revoke alice --grant tf_0123456789abcdef0123456789abcdef'],
  'consumer add': [
    'oauth-gateway consumer add --name "Legacy app" --callback https://legacy.example/cb',
    'oauth-gateway consumer add --name "Mobile app" --xauth --profile operators',
    'oauth-gateway consumer add --name Jira --rsa-public-key jira.pem --signature-methods RSA-SHA1',
  ],
  'consumer list': ['oauth-gateway consumer list', 'oauth-gateway consumer list --json'],
  'consumer show': ['oauth-gateway consumer show KEY'],
  'consumer set': ['oauth-gateway consumer set KEY --callback https://legacy.example/cb --callback-match exact', 'oauth-gateway consumer set KEY --no-callback'],
  'consumer link': ['oauth-gateway consumer link KEY --client my-app'],
  'consumer unlink': ['oauth-gateway consumer unlink KEY'],
  'consumer disable': ['oauth-gateway consumer disable KEY'],
  'client add': [
    'oauth-gateway client add --name "Web app" --grants authorization_code,refresh_token --refresh --redirect-uri https://app.example/cb',
    'oauth-gateway client add --name "SPA" --public --grants implicit --redirect-uri https://spa.example/cb',
    'oauth-gateway client add --name "Batch job" --grants client_credentials --scopes reports --access-ttl 900',
  ],
  'client list': ['oauth-gateway client list', 'oauth-gateway client list --json'],
  'client disable': ['oauth-gateway client disable my-app'],
  'secrets rotate': ['oauth-gateway secrets rotate --new-key "$(openssl rand -hex 32)"', 'oauth-gateway secrets rotate < new-key.txt'],
};
