package org.seamcast.cli;

import picocli.CommandLine;

import java.net.InetSocketAddress;

/**
 * As {@link SocketAddressConverter}, for options that may serve nothing: {@value HostPort#NONE} reads as null.
 */
final class OptionalSocketAddressConverter implements CommandLine.ITypeConverter<InetSocketAddress>
{
    @Override
    public InetSocketAddress convert(final String value)
    {
        try
        {
            return HostPort.parseOrNone(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }
}
