# vrfleak with the peers its interop suite runs against (gobgpd, FRR, ExaBGP) and tshark.
#   docker build -t vrfleak .
#   docker run vrfleak              # the demo daemon (npm start: build, then run)
#   docker run vrfleak npm test     # every test, interop included
# Every RUN below is a command .ci/run also runs (test/docs/dockerfile.test.ts checks it).
FROM node:20-bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
RUN echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
RUN apt-get update -qq
RUN apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold tshark gobgpd frr exabgp bird2 pmacct python3-mrtparse
WORKDIR /opt/vrfleak
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
EXPOSE 1179 8179
CMD ["npm", "start"]
