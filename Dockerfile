# One image for both production roles: the API (default command) and the worker.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dependencies' install scripts stay off, as allowScripts in package.json records.
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build \
 && node dist/scripts/build-workflow-bundle.js dist/workflow-bundle.js \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The shipped processes and their forms, deployed when the API starts (PROCESSES_DIR, FORMS_DIR).
COPY --from=build /app/processes ./processes
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
