#!/usr/bin/env bash
# Local-only credentials shared by the Argo CD emulator and the backend of `npm start`.
# Generated once per checkout into .gitops-data/ (git-ignored); nothing secret is committed.
# Sourced: exports the credentials, changes neither the caller's shell options nor its umask.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${GITOPS_DATA_DIR:-$ROOT/.gitops-data}"
mkdir -p "$DATA" || return 1
creds="$DATA/dev-credentials.env"
if [ ! -f "$creds" ]; then (
  rnd() { node -e "process.stdout.write(require('crypto').randomBytes(24).toString('base64url'))"; }
  jwt() { # Argo CD ignores bearer values that are not shaped like a JWT
    node -e "const b=s=>Buffer.from(JSON.stringify(s)).toString('base64url');process.stdout.write(b({alg:'HS256',typ:'JWT'})+'.'+b({sub:'backstage',iss:'argocd-emulator',jti:require('crypto').randomUUID()})+'.'+require('crypto').randomBytes(32).toString('base64url'))"; }
  umask 077
  {
    echo "GITOPS_LOCAL_ARGOCD_TOKEN=$(jwt)"
    echo "GITOPS_SECONDARY_ARGOCD_PASSWORD=$(rnd)"
    echo "GITOPS_LOCAL_KUBE_TOKEN=$(rnd)"
  } > "$creds"
) || return 1; fi
while IFS='=' read -r _key _value; do export "$_key=$_value"; done < "$creds"
export GITOPS_DATA_DIR="$DATA"
