#!/usr/bin/env bash
# Local-only credentials shared by the Argo CD emulator and the backend of `npm start`.
# Generated once per checkout into .gitops-data/ (git-ignored); nothing secret is committed.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${GITOPS_DATA_DIR:-$ROOT/.gitops-data}"
mkdir -p "$DATA"
creds="$DATA/dev-credentials.env"
if [ ! -f "$creds" ]; then
  rnd() { node -e "process.stdout.write(require('crypto').randomBytes(24).toString('base64url'))"; }
  jwt() { # Argo CD ignores bearer values that are not shaped like a JWT
    node -e "const b=s=>Buffer.from(JSON.stringify(s)).toString('base64url');process.stdout.write(b({alg:'HS256',typ:'JWT'})+'.'+b({sub:'backstage',iss:'argocd-emulator',jti:require('crypto').randomUUID()})+'.'+require('crypto').randomBytes(32).toString('base64url'))"; }
  umask 077
  {
    echo "GITOPS_LOCAL_ARGOCD_TOKEN=$(jwt)"
    echo "GITOPS_SECONDARY_ARGOCD_PASSWORD=$(rnd)"
    echo "GITOPS_LOCAL_KUBE_TOKEN=$(rnd)"
  } > "$creds"
fi
set -a; . "$creds"; set +a
export GITOPS_DATA_DIR="$DATA"
