# The "team's service" of attest's container tests, built from this directory's Dockerfile:
# GET /health answers 200 when the database ($DB_HOST:$DB_PORT, reached over the environment's
# network) accepts a TCP connection, else 503; GET /env shows $GREETING; GET /shared the file
# /shared/greeting (a named volume another container wrote).
use strict;
use warnings;
use IO::Socket::INET;
$| = 1;
my $port = $ENV{PORT} || 8080;
my $server = IO::Socket::INET->new(LocalAddr => "0.0.0.0:$port", Listen => 16, ReuseAddr => 1)
  or die "listen: $!";
print "api: listening on $port\n";
$SIG{TERM} = sub { exit 0 };
while (my $c = $server->accept) {
  my $line = <$c> // '';
  while (my $h = <$c>) { last if $h =~ /^\r?\n$/; }
  my ($status, $body) = (404, "not found\n");
  if ($line =~ m{^GET /health}) {
    my $db = IO::Socket::INET->new(PeerAddr => "$ENV{DB_HOST}:$ENV{DB_PORT}", Timeout => 1);
    ($status, $body) = $db ? (200, "ok: $ENV{DB_HOST}:$ENV{DB_PORT}\n") : (503, "no database\n");
  } elsif ($line =~ m{^GET /env}) {
    ($status, $body) = (200, ($ENV{GREETING} // '') . "\n");
  } elsif ($line =~ m{^GET /shared} && open(my $f, '<', '/shared/greeting')) {
    local $/;
    ($status, $body) = (200, <$f>);
  }
  print "api: $line";
  print $c "HTTP/1.0 $status X\r\nContent-Type: text/plain\r\nContent-Length: " . length($body)
    . "\r\nConnection: close\r\n\r\n$body";
  close $c;
}
