# syntax=docker/dockerfile:1
# Build: the pinned Bun comes from the lockfile through npm, then compiles one executable.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx bun run build && mkdir /data

# Run: the executable alone on a small glibc base, as a non-root user.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/dist/breakwater /usr/local/bin/breakwater
# A new named volume copies the ownership of the folder it mounts over: without this one,
# root would own /data and the non-root user (65532 in distroless) could not create the
# database.
COPY --from=build --chown=65532:65532 /data /data
ENV DB_PATH=/data/breakwater.db
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/breakwater", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/breakwater"]
CMD ["serve"]
