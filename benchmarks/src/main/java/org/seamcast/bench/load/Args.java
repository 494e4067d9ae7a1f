package org.seamcast.bench.load;

/**
 * Reading option values of the benchmark mains, with errors that name the option and its limits.
 */
public final class Args
{
    private Args()
    {
    }

    public static String value(final String[] args, final int index, final String name)
    {
        if (index >= args.length)
        {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[index];
    }

    public static int intValue(final String[] args, final int index, final String name, final int min, final int max)
    {
        final String text = value(args, index, name);
        final int value;
        try
        {
            value = Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + text + " is not a number");
        }
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not in " + min + ".." + max);
        }
        return value;
    }
}
